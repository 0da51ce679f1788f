// js-libp2p 3 calls Promise.withResolvers (Node.js 22); Node.js 20 lacks it. Load first: node --import ./polyfill.mjs
Promise.withResolvers ??= function () { let resolve, reject; const promise = new this((res, rej) => { resolve = res; reject = rej }); return { promise, resolve, reject } }
