// Drives openbadges-bakery for the interoperability tests:
//   node bakery.js extract IMAGE          prints the baked text as JSON ({"text": ...})
//   node bakery.js bake IMAGE JSON OUT    bakes the JSON file's assertion into IMAGE
const fs = require("fs");
// openbadges-bakery 1.0.5 writes PNG chunks with bitwriter, whose BitWriter
// inherits Buffer's prototype and assigns length, offset and parent on itself;
// on current Node those are getters of Uint8Array, so the assignments are
// dropped and the reads throw. Plain writable properties on BitWriter's own
// prototype shadow the getters, and raw copies go to the Buffer it wraps
// (current Node refuses a non-Buffer copy target or concat item); the bakery's
// code then runs unchanged. Reading (extract) needs none of this.
const BitWriter = require("bitwriter");
for (const name of ["length", "offset", "parent", "pool"]) {
  Object.defineProperty(BitWriter.prototype, name, { value: undefined, writable: true });
}
BitWriter.prototype._copyBuffer = function copyBuffer(buf) {
  buf.copy(this._buffer, this.position());
  this.move(buf.length);
  return this;
};
const concat = Buffer.concat;
Buffer.concat = (list, length) =>
  concat(list.map((item) => (item instanceof BitWriter ? item._buffer : item)), length);
const bakery = require("openbadges-bakery");

const [command, image, json, out] = process.argv.slice(2);
function fail(error) {
  process.stderr.write(String(error && error.message ? error.message : error) + "\n");
  process.exit(1);
}
if (command === "extract") {
  bakery.extract(fs.readFileSync(image), (error, text) => {
    if (error) return fail(error);
    process.stdout.write(JSON.stringify({ text: text }));
  });
} else if (command === "bake") {
  const assertion = JSON.parse(fs.readFileSync(json, "utf8"));
  const options = { image: fs.readFileSync(image), assertion: assertion };
  // SVG baking wants the hosted assertion's URL for verify; a PNG carries the JSON.
  if (image.endsWith(".svg")) options.url = assertion.id;
  bakery.bake(options, (error, data) => {
    if (error) return fail(error);
    fs.writeFileSync(out, data);
  });
} else {
  fail("usage: bakery.js extract IMAGE | bake IMAGE JSON OUT");
}
