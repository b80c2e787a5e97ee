// Review page: selecting text in the original fills the "Add a redaction" box.
// The page works without this script: the text can be typed instead.
(function () {
  "use strict";
  var original = document.getElementById("original");
  var term = document.getElementById("term");
  if (!original || !term) { return; }
  function take() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) { return; }
    var range = selection.getRangeAt(0);
    if (!original.contains(range.commonAncestorContainer)) { return; }
    var text = selection.toString().replace(/\s+/g, " ").trim();
    if (text.length >= 2) {
      term.value = text;
      term.classList.add("filled");
    }
  }
  original.addEventListener("mouseup", take);
  original.addEventListener("keyup", take);
}());
