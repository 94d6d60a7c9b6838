import * as fs from "fs";
import * as path from "path";
import { WEB_FLEET_SCRIPT_ENV } from "../../userdata/web-fleet.environment";

describe("userdata/web-fleet.sh environment contract", () => {
  test("the script reads every variable of the contract, with a default", () => {
    const script = fs.readFileSync(path.join(__dirname, "../../userdata/web-fleet.sh"), "utf8");
    const unread = Object.values(WEB_FLEET_SCRIPT_ENV).filter((name) => !script.includes(`${name}="\${${name}:-`));
    expect(unread).toEqual([]);
  });
});
