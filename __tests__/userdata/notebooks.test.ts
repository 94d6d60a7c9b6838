import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NOTEBOOK_DIR } from "../../stacks/gpu-jupyter";
import { tempDir } from "../helpers/synth";

type Cell = { cell_type: string; source: string | string[]; metadata: object; outputs?: unknown[]; execution_count?: number | null };
type Notebook = { nbformat: number; nbformat_minor: number; metadata: Record<string, unknown>; cells: Cell[] };

const files = fs
  .readdirSync(NOTEBOOK_DIR)
  .filter((f) => f.endsWith(".ipynb"))
  .sort();

function load(file: string): Notebook {
  return JSON.parse(fs.readFileSync(path.join(NOTEBOOK_DIR, file), "utf8"));
}

function sourceOf(cell: Cell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/**
 * IPython-only lines (`!shell`, `%magic`, `%%cell magic`) are not Python:
 * replaced by `pass` (same indentation, same line numbers) before compiling.
 */
function stripMagics(source: string): string {
  if (/^\s*%%/.test(source)) return "";
  return source
    .split("\n")
    .map((line) => line.replace(/^(\s*)[!%].*$/, "$1pass"))
    .join("\n");
}

function allCode(nb: Notebook): string {
  return nb.cells.filter((c) => c.cell_type === "code").map(sourceOf).join("\n");
}

describe("userdata/notebooks", () => {
  test("ships the course's two notebooks", () => {
    expect(files).toEqual(["cpu-vs-gpu-benchmark.ipynb", "mnist-cnn.ipynb"]);
  });

  test("stripMagics turns shell and magic lines into pass, keeping indentation", () => {
    expect(stripMagics("!nvidia-smi\n%matplotlib inline\nx = 1\n  !ls")).toBe("pass\npass\nx = 1\n  pass");
    expect(stripMagics("%%bash\necho hi")).toBe("");
  });

  describe.each(files)("%s", (file) => {
    const nb = load(file);

    test("is nbformat 4 with cells that have a type, a source and metadata", () => {
      // GIVEN the notebook JSON THEN it has the nbformat 4 structure Jupyter validates
      expect(nb.nbformat).toBe(4);
      expect(Number.isInteger(nb.nbformat_minor)).toBe(true);
      expect(typeof nb.metadata).toBe("object");
      expect(nb.cells.length).toBeGreaterThan(0);
      for (const cell of nb.cells) {
        expect(["code", "markdown", "raw"]).toContain(cell.cell_type);
        expect(typeof sourceOf(cell)).toBe("string");
        expect(typeof cell.metadata).toBe("object");
        if (cell.cell_type === "code") {
          expect(Array.isArray(cell.outputs)).toBe(true);
          expect("execution_count" in cell).toBe(true);
        }
      }
    });

    test("every code cell compiles with python3 -m py_compile (IPython magics stripped)", () => {
      const dir = tempDir("nb");
      const cells = nb.cells.filter((c) => c.cell_type === "code");
      const paths = cells.map((cell, i) => {
        const p = path.join(dir, `${path.basename(file, ".ipynb")}-cell${i}.py`);
        fs.writeFileSync(p, stripMagics(sourceOf(cell)));
        return p;
      });
      const r = spawnSync("python3", ["-m", "py_compile", ...paths], { encoding: "utf8" });
      if (r.error) throw new Error(`python3 could not run: ${r.error.message}`);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    });
  });

  test("the benchmark multiplies 10000x10000 float32 matrices on CPU and CUDA, synchronizing, and prints the speed-up", () => {
    const code = allCode(load("cpu-vs-gpu-benchmark.ipynb"));
    expect(code).toMatch(/N = 10000/);
    expect(code).toMatch(/dtype=torch\.float32/);
    expect(code).toMatch(/time_matmul\("cpu"\)/);
    expect(code).toMatch(/time_matmul\("cuda"\)/);
    expect(code).toMatch(/torch\.cuda\.synchronize\(\)/);
    expect(code).toMatch(/Speed-up/);
  });

  test("the MNIST CNN has 2 conv + 2 FC layers, SGD lr 0.01 momentum 0.5, 5 epochs, prints test accuracy and plots the loss", () => {
    const code = allCode(load("mnist-cnn.ipynb"));
    expect(code.match(/nn\.Conv2d\(/g)).toHaveLength(2);
    expect(code.match(/nn\.Linear\(/g)).toHaveLength(2);
    expect(code).toMatch(/LEARNING_RATE = 0\.01\b/);
    expect(code).toMatch(/MOMENTUM = 0\.5\b/);
    expect(code).toMatch(/torch\.optim\.SGD\(model\.parameters\(\), lr=LEARNING_RATE, momentum=MOMENTUM\)/);
    expect(code).toMatch(/EPOCHS = 5\b/);
    expect(code).toMatch(/Final test accuracy/);
    expect(code).toMatch(/plt\.plot\(train_losses/);
  });
});
