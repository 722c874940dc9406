/*
 * "Lees voor": reads the main content of the page aloud with the browser's own speech synthesis.
 * The controls stay hidden where the browser has no speech synthesis. No data leaves the browser.
 */
(function () {
  "use strict";

  function init() {
    var box = document.querySelector("[data-read-aloud]");
    var content = document.querySelector("[data-read-aloud-content]");
    if (!box || !content) return;
    if (!window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") return;

    var synth = window.speechSynthesis;
    var lang = box.getAttribute("data-lang") || document.documentElement.lang || "nl-NL";
    var buttons = {
      start: box.querySelector("[data-read-aloud-start]"),
      pause: box.querySelector("[data-read-aloud-pause]"),
      resume: box.querySelector("[data-read-aloud-resume]"),
      stop: box.querySelector("[data-read-aloud-stop]")
    };
    var status = box.querySelector("[data-read-aloud-status]");
    var session = 0;

    function show(state) {
      buttons.start.hidden = state !== "idle";
      buttons.pause.hidden = state !== "reading";
      buttons.resume.hidden = state !== "paused";
      buttons.stop.hidden = state === "idle";
      box.setAttribute("data-state", state);
      status.textContent = box.getAttribute("data-status-" + state) || "";
    }

    function pickVoice() {
      var voices = synth.getVoices ? synth.getVoices() : [];
      var prefix = lang.slice(0, 2).toLowerCase();
      for (var i = 0; i < voices.length; i++) {
        if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(prefix) === 0) return voices[i];
      }
      return null;
    }

    function chunks() {
      // One utterance per line: long utterances are cut off by some browsers.
      return content.innerText.split(/\n+/).map(function (line) {
        return line.trim();
      }).filter(function (line) {
        return line.length > 0;
      });
    }

    function start() {
      synth.cancel();
      session += 1;
      var mine = session;
      var parts = chunks();
      var voice = pickVoice();
      parts.forEach(function (text, index) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = lang;
        if (voice) utterance.voice = voice;
        if (index === parts.length - 1) {
          utterance.onend = function () {
            if (mine === session) show("idle");
          };
        }
        utterance.onerror = function (event) {
          if (mine !== session) return;
          if (event && (event.error === "interrupted" || event.error === "canceled")) return;
          session += 1;
          synth.cancel();
          show("idle");
          status.textContent = box.getAttribute("data-status-failed") || "";
          buttons.start.focus();
        };
        synth.speak(utterance);
      });
      show(parts.length ? "reading" : "idle");
      if (parts.length) buttons.pause.focus();
    }

    buttons.start.addEventListener("click", start);
    buttons.pause.addEventListener("click", function () {
      synth.pause();
      show("paused");
      buttons.resume.focus();
    });
    buttons.resume.addEventListener("click", function () {
      synth.resume();
      show("reading");
      buttons.pause.focus();
    });
    buttons.stop.addEventListener("click", function () {
      session += 1;
      synth.cancel();
      show("idle");
      buttons.start.focus();
    });
    window.addEventListener("pagehide", function () {
      synth.cancel();
    });

    show("idle");
    box.hidden = false;
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
