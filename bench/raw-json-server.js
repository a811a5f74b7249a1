// The baseline: the cheapest JSON endpoint Node can serve, to compare our probes against.
const { createServer } = require('node:http');

const port = Number(process.env.PORT);
createServer((request, response) => {
  const body = JSON.stringify({ status: 'healthy', timestamp: new Date().toISOString() });
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  response.end(body);
}).listen(port, '127.0.0.1');
