/**
 * Child process for the pipe rival: echoes newline-delimited JSON from stdin to stdout, the way
 * the reference jsii runtime talks to its host.
 */
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  let newline = pending.indexOf('\n');
  while (newline >= 0) {
    const line = pending.slice(0, newline);
    pending = pending.slice(newline + 1);
    process.stdout.write(`${JSON.stringify(JSON.parse(line))}\n`);
    newline = pending.indexOf('\n');
  }
});
