import { profile } from "../src/grading/concepts.js";
const t = process.argv.slice(2).join(" ");
for (const s of t.split(/(?<=[.!?])\s+/)) console.log([...profile(s).expressed.keys()].join(","), "<=", s.slice(0, 80));
