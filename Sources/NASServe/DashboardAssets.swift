/// The dashboard's one script and one stylesheet, served as files (`/dashboard.js`,
/// `/dashboard.css`) so that pages hold no inline script. Plain JavaScript, no build step.
enum DashboardAssets {
    /// On a search page, polls `/api/searches/DB/ID` every `pollMilliseconds` while the search
    /// runs: updates status, counts, progress, best and ETA, and redraws both plots when the
    /// number of evaluations changed. On any page, a click on a plot mark whose tooltip names
    /// "(candidate N)" opens that candidate (inside plots marked with `data-candidates`).
    static let script = #"""
        "use strict";
        (function () {
          const pollMilliseconds = 1500;

          function duration(seconds) {
            if (seconds === null || seconds === undefined || !isFinite(seconds) || seconds < 0) return "—";
            const whole = Math.round(seconds);
            const pad = (n) => String(n).padStart(2, "0");
            if (whole >= 3600) return Math.floor(whole / 3600) + "h " + pad(Math.floor(whole % 3600 / 60)) + "m";
            if (whole >= 60) return Math.floor(whole / 60) + "m " + pad(whole % 60) + "s";
            return whole + "s";
          }

          function number(value) {
            if (value === null || value === undefined) return "—";
            return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
          }

          function setText(id, text) {
            const element = document.getElementById(id);
            if (element) element.textContent = text;
          }

          async function redraw(plot) {
            const response = await fetch(plot.dataset.src, { credentials: "same-origin" });
            if (!response.ok) return;
            const svg = await response.text();
            // The SVG comes from our own server, which escapes every text in it.
            plot.innerHTML = svg.replace(/^<\?xml[^>]*\?>\s*/, "");
          }

          async function poll(live) {
            try {
              const response = await fetch(live.dataset.api, { credentials: "same-origin" });
              if (!response.ok) return;
              const search = (await response.json()).search;
              setText("status", search.status);
              document.getElementById("status").className = "status " + search.status;
              setText("stop-reason", search.stopReason || "");
              setText("evaluated", String(search.evaluated));
              setText("counts", [search.pending, search.running, search.failed, search.dropped].join(" · "));
              setText("elapsed", duration(search.elapsedSeconds));
              setText("eta", duration(search.etaSeconds));
              const progress = document.getElementById("progress");
              if (progress) progress.value = Math.min(search.evaluated, Number(progress.max));
              const best = document.getElementById("best");
              if (best && search.bestCandidateID !== null && search.bestCandidateID !== undefined) {
                best.textContent = number(search.bestScore) + " (candidate " + search.bestCandidateID + ")";
              }
              if (String(search.evaluated) !== live.dataset.evaluated) {
                live.dataset.evaluated = String(search.evaluated);
                for (const plot of document.querySelectorAll(".plot[data-src]")) await redraw(plot);
                console.log("layernas-live evaluated " + search.evaluated);
              }
              live.dataset.status = search.status;
            } catch (error) {
              // A missed poll (server restarting, network) is retried at the next one.
            }
          }

          function openCandidate(event) {
            const plot = event.currentTarget;
            let mark = event.target;
            while (mark && mark !== plot) {
              const title = Array.from(mark.children || []).find((child) => child.tagName.toLowerCase() === "title");
              const match = title && /\(candidate (\d+)\)/.exec(title.textContent);
              if (match) {
                window.location.href = plot.dataset.candidates + match[1];
                return;
              }
              mark = mark.parentNode;
            }
          }

          document.addEventListener("DOMContentLoaded", () => {
            for (const plot of document.querySelectorAll(".plot[data-candidates]")) plot.addEventListener("click", openCandidate);
            const live = document.getElementById("live");
            if (!live) return;
            setInterval(() => {
              if (live.dataset.status === "running" || live.dataset.status === "created") poll(live);
            }, pollMilliseconds);
          });
        })();
        """#

    static let stylesheet = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #fff; }
        nav { background: #1f3b57; padding: 0.6em 1.2em; }
        nav a { color: #fff; text-decoration: none; font-weight: bold; }
        main { padding: 0.5em 1.2em 2em; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
        table { border-collapse: collapse; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; }
        thead th { background: #eef2f6; }
        table.grid td { text-align: center; min-width: 1.6em; }
        table.grid td.none { background: #f4f4f4; }
        dl.facts { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
        dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
        .status.running { color: #1a7f37; font-weight: bold; } .status.failed { color: #b42318; }
        .status.stopped { color: #b54708; }
        .plot svg { max-width: 100%; height: auto; }
        .plot[data-candidates] .point, .plot[data-candidates] .front-point, .plot[data-candidates] .answer { cursor: pointer; }
        pre { background: #f6f8fa; padding: 0.6em; overflow: auto; max-height: 30em; }
        .hint { color: #666; font-size: 0.9em; }
        form select, form button { margin-right: 0.4em; }
        """
}
