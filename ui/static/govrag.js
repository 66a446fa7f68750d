// govrag: a click on an answer's [n] mark shows that answer's sources and highlights source n.
// (Delegated on the document, in the capture phase, so it works for messages Gradio renders later.)
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#govrag-src-"]');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const card = document.getElementById(link.getAttribute("href").slice(1));
  if (!card) return;
  document.querySelectorAll(".govrag-turn.current").forEach((t) => t.classList.remove("current"));
  card.closest(".govrag-turn").classList.add("current");
  document.querySelectorAll(".govrag-source.active").forEach((c) => c.classList.remove("active"));
  card.classList.add("active");
  card.scrollIntoView({ behavior: "smooth", block: "center" });
}, true);
