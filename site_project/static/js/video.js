// Click-to-load videos: without this script the button is a plain link to the video host.
// With it, the player replaces the notice only after the visitor asks for it.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-video-play]");
  if (!link) return;
  const box = link.closest("[data-video-embed]");
  if (!box || !box.dataset.videoEmbed) return;
  event.preventDefault();
  const frame = document.createElement("iframe");
  frame.src = box.dataset.videoEmbed;
  frame.title = box.dataset.videoTitle || "Vidéo";
  frame.allow = "autoplay; fullscreen; picture-in-picture";
  frame.allowFullscreen = true;
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  frame.className = "block-video__frame";
  box.replaceChildren(frame);
  frame.focus();
});
