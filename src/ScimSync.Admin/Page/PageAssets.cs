using System.Security.Cryptography;
using System.Text;

namespace ScimSync.Admin.Page;

/// <summary>
/// The page's only style and script, inline (it must work offline, with no CDN), and the content security policy
/// that admits exactly these two by their hashes and nothing else.
/// </summary>
public static class PageAssets
{
    /// <summary>
    /// Colours meet WCAG AA contrast on their backgrounds (text #1b1f24 on white, status badges dark text on light
    /// tints); focus is always visible; one column on a phone, tables scroll sideways rather than squeeze.
    /// </summary>
    public const string Style = """
        :root { color-scheme: light; --fg: #1b1f24; --muted: #4a5561; --line: #c9d1d9; --bg: #ffffff; --panel: #f6f8fa; --link: #0a4fa3; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
        header { display: flex; flex-wrap: wrap; align-items: baseline; gap: .5rem 1.5rem; padding-top: 1rem; }
        h1 { font-size: 1.5rem; margin: 0; } h2 { font-size: 1.3rem; margin: 0; } h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
        a { color: var(--link); }
        a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #0a4fa3; outline-offset: 2px; }
        .muted { color: var(--muted); }
        .notice { border-left: 4px solid #1a7f37; background: #e6f4ea; padding: .5rem .75rem; margin: 1rem 0; }
        .job { border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin: 1rem 0; background: var(--bg); }
        .job-head { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; }
        .badge { display: inline-block; padding: .1rem .6rem; border-radius: 999px; font-weight: 600; border: 1px solid; }
        .badge-Active { background: #e6f4ea; color: #0f5323; border-color: #1a7f37; }
        .badge-Paused { background: #fff4d6; color: #5c3b00; border-color: #9a6700; }
        .badge-Quarantined { background: #ffe3e3; color: #7a0c0c; border-color: #b42318; }
        .badge-DeletionsHeld { background: #ffe9d6; color: #6b2a00; border-color: #b54708; }
        .reason { background: var(--panel); border-left: 4px solid #b42318; padding: .5rem .75rem; margin: .75rem 0; }
        .todo { background: var(--panel); border-left: 4px solid #0a4fa3; padding: .5rem .75rem; margin: .75rem 0; }
        progress { width: 100%; height: 1.25rem; accent-color: #0a4fa3; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: .5rem 0; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: .95rem; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
        th { background: var(--panel); }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin: .75rem 0; align-items: end; }
        .actions form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 0; }
        button { font: inherit; padding: .45rem .9rem; border-radius: 6px; border: 1px solid #0a4fa3; background: #0a4fa3; color: #fff; cursor: pointer; min-height: 2.5rem; }
        button.secondary { background: #fff; color: #0a4fa3; }
        button.danger { background: #b42318; border-color: #b42318; }
        label { display: flex; flex-direction: column; font-size: .9rem; font-weight: 600; }
        input, select { font: inherit; padding: .35rem .5rem; border: 1px solid #6e7781; border-radius: 6px; min-height: 2.5rem; }
        details { margin: .5rem 0; } summary { cursor: pointer; font-weight: 600; }
        @media (max-width: 40rem) { dl.facts { grid-template-columns: 1fr; } dl.facts dd { margin-bottom: .5rem; } body { font-size: 15px; } }
        """;

    /// <summary>
    /// Reloads the page every few seconds while a cycle runs (the body says how often, and from which address: the
    /// page without the notice of a button pressed earlier), but not while someone is typing into a form, and never
    /// once a button was pressed: a reload then would cancel the post it started.
    /// </summary>
    public const string Script = """
        (function () {
          var seconds = Number(document.body.getAttribute("data-refresh-seconds"));
          var url = document.body.getAttribute("data-refresh-url");
          if (!seconds || !url) { return; }
          var submitted = false;
          document.addEventListener("submit", function () { submitted = true; });
          setInterval(function () {
            var active = document.activeElement;
            if (submitted || (active && (active.tagName === "INPUT" || active.tagName === "SELECT"))) { return; }
            window.location.replace(url);
          }, seconds * 1000);
        })();
        """;

    /// <summary>Nothing from elsewhere; only the style and script above; forms post only to this server.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src '{Hash(Style)}'; script-src '{Hash(Script)}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static string Hash(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
