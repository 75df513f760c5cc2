/* Comments: "Reply" moves the form under the comment being answered, and the
   details a commenter agreed to keep (cookie comment_author) fill the form.
   Everything works without this file: Reply links are ?replytocom=ID#respond. */
(function () {
  "use strict";

  var form = document.getElementById("commentform");
  var respond = document.getElementById("respond");
  if (!form || !respond) {
    return;
  }
  var parentInput = form.elements.parent;
  var replyToName = respond.querySelector(".reply-to-name");
  var cancel = document.getElementById("cancel-comment-reply-link");
  // Where the form goes back to when a reply is cancelled.
  var home = document.createElement("div");
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  // The comment answered is the one the link is in: its id (comment-ID) and its
  // author's name are on the page already, so the link does not repeat them.
  function replyTo(link) {
    var comment = link.closest(".comment");
    if (!comment) {
      return;
    }
    comment.querySelector(".comment-body").after(respond);
    parentInput.value = comment.id.replace("comment-", "");
    replyToName.textContent = " to " + comment.querySelector(".comment-author").textContent;
    cancel.hidden = false;
    form.elements.body.focus();
  }

  function cancelReply() {
    home.after(respond);
    parentInput.value = "";
    replyToName.textContent = "";
    cancel.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      replyTo(link);
    }
  });
  cancel.addEventListener("click", function (event) {
    event.preventDefault();
    cancelReply();
  });

  var remembered = document.cookie.match(/(?:^|;\s*)comment_author=([^;]*)/);
  if (remembered) {
    var details;
    try {
      details = JSON.parse(decodeURIComponent(remembered[1]));
    } catch (error) {
      return; // an unreadable cookie fills nothing in
    }
    [["author_name", details.name], ["author_email", details.email], ["author_url", details.url]]
      .forEach(function (pair) {
        var input = form.elements[pair[0]];
        if (input && !input.value && typeof pair[1] === "string") {
          input.value = pair[1];
        }
      });
    form.elements.remember.checked = true;
  }
})();
