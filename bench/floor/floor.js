// The floor for bench/call_setup.py: the least a page can do to show a remote video — camera,
// one RTCPeerConnection, offer/answer over a BroadcastChannel (no server, no framework). The
// "caller" page stays open; each "answer" page measures navigation start → first remote frame.
const role = new URLSearchParams(location.search).get("role");
const channel = new BroadcastChannel("floor");
const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
window.__firstFrame = null;

function connect(id, send) {
  const pc = new RTCPeerConnection();
  for (const track of media.getTracks()) pc.addTrack(track, media);
  pc.onicecandidate = (e) => send({ id, candidate: e.candidate && e.candidate.toJSON() });
  return pc;
}

if (role === "caller") {
  const peers = new Map();
  channel.onmessage = async ({ data }) => {
    if (data.hello) {
      const pc = connect(data.hello, (m) => channel.postMessage({ ...m, from: "caller" }));
      peers.set(data.hello, pc);
      await pc.setLocalDescription(await pc.createOffer());
      channel.postMessage({ id: data.hello, from: "caller", description: pc.localDescription.toJSON() });
    } else if (data.from === "answer" && peers.has(data.id)) {
      const pc = peers.get(data.id);
      if (data.description) await pc.setRemoteDescription(data.description);
      else if (data.candidate) await pc.addIceCandidate(data.candidate);
    }
  };
  window.__ready = true;
} else {
  const id = crypto.randomUUID();
  const pc = connect(id, (m) => channel.postMessage({ ...m, from: "answer" }));
  pc.ontrack = ({ streams }) => {
    const video = document.getElementById("remote");
    if (video.srcObject) return;
    video.srcObject = streams[0];
    video.requestVideoFrameCallback(() => { window.__firstFrame ??= performance.now(); });
  };
  channel.onmessage = async ({ data }) => {
    if (data.id !== id || data.from !== "caller") return;
    if (data.description) {
      await pc.setRemoteDescription(data.description);
      await pc.setLocalDescription(await pc.createAnswer());
      channel.postMessage({ id, from: "answer", description: pc.localDescription.toJSON() });
    } else if (data.candidate) {
      await pc.addIceCandidate(data.candidate);
    }
  };
  channel.postMessage({ hello: id });
}
