// logsite: small enhancements; every page works without them.
(function () {
  "use strict";
  // Phone header: the menu button opens and closes the site menu (hidden by the
  // stylesheet below 40rem; wider screens always show it and hide the button).
  var toggle = document.querySelector(".menu-toggle");
  var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (menu) {
    var openMenu = function (open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("open", open);
    };
    toggle.addEventListener("click", function () {
      openMenu(toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape inside the open menu closes it and puts focus back on the button.
    menu.parentNode.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      if (e.target !== toggle && !menu.contains(e.target)) return;
      openMenu(false);
      toggle.focus();
    });
  }
  // Knowledge base: filter by status and topic.
  var list = document.getElementById("kb-list");
  var filters = document.getElementById("kb-filters");
  if (list && filters) {
    filters.hidden = false;
    var status = document.getElementById("kb-status");
    var topic = document.getElementById("kb-topic");
    var params = new URLSearchParams(location.search);
    if (params.get("status")) status.value = params.get("status");
    if (params.get("topic")) topic.value = params.get("topic");
    var apply = function () {
      var items = list.querySelectorAll(".kb-item");
      for (var i = 0; i < items.length; i++) {
        var it = items[i];
        var okStatus = !status.value || it.dataset.status === status.value;
        var okTopic = !topic.value || it.dataset.topics.split("|").indexOf(topic.value) >= 0;
        it.hidden = !(okStatus && okTopic);
      }
    };
    status.addEventListener("change", apply);
    topic.addEventListener("change", apply);
    apply();
  }
  // Week pages: copy the embedded 週報 Markdown.
  var copies = document.querySelectorAll("button.copy-report");
  for (var c = 0; c < copies.length; c++) {
    (function (button) {
      var source = document.getElementById(button.dataset.target);
      var status = button.parentNode.querySelector(".copy-status");
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var done = function () { if (status) status.textContent = button.dataset.done; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(source.value).then(done, function () {
            source.select();
            if (document.execCommand("copy")) done();
          });
        } else {
          source.select();
          if (document.execCommand("copy")) done();
        }
      });
    })(copies[c]);
  }
})();
