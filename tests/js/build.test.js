// The committed build (what the server serves) must be what `npm run build` makes of the source now.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, it } from "vitest";
import { build } from "../../scripts/build-widget.mjs";

it("serves a build that is up to date with static/widget.js and widget.css", async () => {
  for (const [path, text] of Object.entries(await build())) {
    expect(readFileSync(resolve(__dirname, "../..", path), "utf8"), `${path} is stale: run 'npm run build'`).toBe(text);
  }
});
