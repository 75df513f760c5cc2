"use strict";
// The tag picker on the article form: <select multiple data-tag-picker> upgraded with the
// admin's own Select2. Its options (theme, "tags" mode, the suggestion URL) come from the
// element's data attributes (newsdesk/widgets.py); typing a name that is not suggested
// creates that tag on save. Tags are case-insensitive on the server.
(function ($) {
  $(function () {
    $("select[data-tag-picker]").select2({
      width: "min(100%, 40rem)",
      ajax: {
        data: function (params) {
          return { term: params.term, page: params.page };
        },
      },
    });
  });
})(django.jQuery);
