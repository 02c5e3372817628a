// The search page: Pagefind's own interface, over the index of the page's language (pagefind/, built with the
// site). Every other page reads without a script.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  box.textContent = "";
  new PagefindUI({ element: "#search", showSubResults: true, showImages: false });
  // The page's own visible label names Pagefind's search box (it has a placeholder only).
  function named() {
    var input = box.querySelector("input");
    if (!input) return false;
    input.id = "search-input";
    return true;
  }
  if (!named()) {
    new MutationObserver(function (changes, watcher) {
      if (named()) watcher.disconnect();
    }).observe(box, { childList: true, subtree: true });
  }
});
