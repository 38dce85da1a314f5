// Stand-in for the Istio sidecar's inbound path in the Valkey real-process tests: iptables in the
// pod's network namespace redirects inbound TCP to these listeners (as istio-iptables does to
// 15006), and every connection is re-opened to the original pod IP and port from 127.0.0.6, the
// address Envoy's inbound passthrough binds to. So the server sees peers coming from 127.0.0.6.
// Usage: node inbound-proxy.mjs <listen port>=<target port> ...
import net from 'node:net';

for (const pair of process.argv.slice(2)) {
  const [listen, target] = pair.split('=').map(Number);
  net
    .createServer((inbound) => {
      // after REDIRECT the local address is the pod IP the peer dialled.
      const upstream = net.connect({ host: inbound.localAddress, port: target, localAddress: '127.0.0.6' });
      inbound.pipe(upstream).pipe(inbound);
      const close = () => { inbound.destroy(); upstream.destroy(); };
      inbound.on('error', close);
      upstream.on('error', close);
      inbound.on('close', close);
      upstream.on('close', close);
    })
    .listen(listen, '0.0.0.0', () => process.stdout.write(`proxy ${listen} -> ${target}\n`));
}
