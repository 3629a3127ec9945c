// logsite: small enhancements; every page works without them.
(function () {
  "use strict";
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
})();
