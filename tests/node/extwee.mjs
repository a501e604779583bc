// Drives extwee for the Twine tests:
//   node extwee.mjs STORY.twee OUT.twee
// parses STORY.twee with extwee's Twee 3 parser, prints what it found as JSON,
// and writes the story back out as extwee writes Twee (OUT.twee).
import fs from "fs";
import path from "path";

const [source, out] = process.argv.slice(2);
const extwee = await import(path.join(process.env.NODE_PATH, "extwee", "index.js"));
const story = extwee.parseTwee(fs.readFileSync(source, "utf8"));
process.stdout.write(
  JSON.stringify({
    name: story.name,
    ifid: story.IFID,
    start: story.start,
    passages: story.passages.map((p) => ({ name: p.name, tags: p.tags, metadata: p.metadata })),
  }),
);
fs.writeFileSync(out, story.toTwee());
