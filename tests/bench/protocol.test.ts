// The bench protocol helpers (bench/lib/): the alternation of the sides, medians with ranges,
// and a warm side answering line by line in a real child process.
import { describe, expect, it } from "vitest";
import { alternation, median, sidesInOrder, spread } from "../../bench/lib/protocol.mjs";
import { startSide } from "../../bench/lib/side.mjs";

describe("bench protocol", () => {
  it("alternates which side goes first, so each leads half of an even number of repeats", () => {
    const leads: Record<"a" | "b", number> = { a: 0, b: 0 };
    for (let r = 0; r < 6; r++) {
      const pair = sidesInOrder<"a" | "b">(r, "a", "b");
      expect([...pair].sort()).toEqual(["a", "b"]);
      leads[pair[0]]++;
      if (r > 0) expect(pair[0]).not.toBe(sidesInOrder<"a" | "b">(r - 1, "a", "b")[0]);
    }
    expect(leads).toEqual({ a: 3, b: 3 });
    expect(alternation(3, "ours", "python")).toBe("alternating (first side per repeat: ours,python,ours)");
  });

  it("reports the median, the range and the runs, rounded", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(spread([0.12345, 0.5, 0.30001])).toEqual({ median: 0.3, min: 0.123, max: 0.5, runs: [0.123, 0.5, 0.3] });
    expect(spread([10.26, 9.94], 1)).toEqual({ median: 10.1, min: 9.9, max: 10.3, runs: [10.3, 9.9] });
  });

  it("keeps a side alive between questions and answers each with its next JSON line", async () => {
    const script = `
      let n = 0;
      console.log(JSON.stringify({ ready: true }));
      require("readline").createInterface({ input: process.stdin }).on("line", (l) => {
        console.log("not json: ignored");
        console.log(JSON.stringify({ n: ++n, echo: l }));
      });`;
    const side = startSide(process.execPath, ["-e", script], "echo side");
    expect(await side.ask()).toEqual({ ready: true });
    expect(await side.ask("train")).toEqual({ n: 1, echo: "train" });
    expect(await side.ask("again")).toEqual({ n: 2, echo: "again" });
    await side.close();
  });

  it("rejects with the side's label when it dies before answering", async () => {
    const side = startSide(process.execPath, ["-e", "process.exit(3)"], "dying side");
    await expect(side.ask("train")).rejects.toThrow("dying side exited with 3");
    await expect(side.close()).rejects.toThrow("dying side exited with 3");
  });
});
