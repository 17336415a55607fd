const t=process.cpuUsage(); const w=Date.now()
await import('tldraw')
const u=process.cpuUsage(t); console.log('tldraw import cpu', ((u.user+u.system)/1e6).toFixed(2),'s wall',(Date.now()-w)/1000)
