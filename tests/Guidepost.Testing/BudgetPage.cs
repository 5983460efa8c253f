using System.Text;

namespace Guidepost.Testing;

/// <summary>The page the agent's budgets are measured on, by the browser tests and the benchmark: 1,000 cards of
/// five elements each, nested a few levels deep, with every long task recorded from the start in
/// <c>window.longTasks</c>.</summary>
public static class BudgetPage
{
    public const int Elements = 5_000;

    public static string Html()
    {
        var html = new StringBuilder("""
            <!doctype html><html><head><meta charset="utf-8"><title>Big</title><script>
            window.longTasks = [];
            new PerformanceObserver(list => { for (const e of list.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration }); })
              .observe({ type: 'longtask', buffered: true });
            </script></head><body><main id="app">
            """);
        for (var section = 0; section < 50; section++)
        {
            html.Append($"<section class=\"section s{section}\"><ul>");
            for (var card = 0; card < 20; card++)
                html.Append($"<li class=\"card\"><h3>Item {section}-{card}</h3><p>Text <span class=\"tag\">new</span></p><button type=\"button\" class=\"btn\" name=\"b{section}-{card}\">Open</button></li>");
            html.Append("</ul></section>");
        }
        return html.Append("</main></body></html>").ToString();
    }
}
