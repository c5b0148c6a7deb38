// PostGraphile 5.1 / grafast 1.1 declare Node >= 22 and call Promise.withResolvers (Node 22+): on
// Node 20 they fail silently without it. Loaded with `node --import` before them (bench only).
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
