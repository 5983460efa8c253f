using System.Text.Json;
using Guidepost.Ingestion.Wire;

namespace Guidepost.Testing;

/// <summary>Events shaped as the Pendo agent sends them (protocol reference §4), encoded as jzb.</summary>
public static class AgentPayloads
{
    public const long T0 = 1_700_000_000_000;

    public static string Jzb(params object[] events) => Ingestion.Wire.Jzb.Encode(JsonSerializer.SerializeToUtf8Bytes(events));

    public static object Load(string visitor, string url, long time, int sequence, string? account = "account-1", string tab = "TabTabTabTabTab1") => new Dictionary<string, object?>
    {
        ["type"] = "load", ["browser_time"] = time, ["visitor_id"] = visitor, ["account_id"] = account, ["url"] = url,
        ["props"] = new { load_time = 120 }, ["tabId"] = tab, ["frameId"] = "FrameFrameFrame1", ["sessionId"] = "SessionSession01",
        ["sequence"] = sequence,
    };

    public static object Click(string visitor, string url, long time, int sequence, string? account = "account-1") => new Dictionary<string, object?>
    {
        ["type"] = "click", ["browser_time"] = time, ["visitor_id"] = visitor, ["account_id"] = account, ["url"] = url,
        ["props"] = new
        {
            target = new
            {
                tag = "BUTTON", id = "buy", cls = "btn primary", title = (string?)null, attrs = new { name = "buy" }, myIndex = 3, childIndex = 1,
                flags = new[] { "left" },
                parentElem = new { tag = "BODY", id = "", cls = "", title = (string?)null, attrs = new { }, myIndex = 2, childIndex = 1 },
            },
        },
        ["tabId"] = "TabTabTabTabTab1", ["frameId"] = "FrameFrameFrame1", ["sessionId"] = "SessionSession01", ["sequence"] = sequence,
    };

    public static object Identify(string visitor, string oldVisitor, long time, int sequence) => new Dictionary<string, object?>
    {
        ["type"] = "identify", ["browser_time"] = time, ["visitor_id"] = visitor, ["account_id"] = "account-1", ["url"] = "https://app.example/",
        ["props"] = new { old_visitor_id = oldVisitor, old_account_id = (string?)null, visitor_id = visitor, account_id = "account-1" },
        ["tabId"] = "TabTabTabTabTab1", ["frameId"] = "FrameFrameFrame1", ["sequence"] = sequence,
    };

    public static object Meta(string visitor, long time, int sequence, object visitorFields, object accountFields) => new Dictionary<string, object?>
    {
        ["type"] = "meta", ["browser_time"] = time, ["visitor_id"] = visitor, ["account_id"] = "account-1", ["url"] = "https://app.example/",
        ["props"] = new { visitor = visitorFields, account = accountFields, parentAccount = new { }, date = "22/11/2025" },
        ["tabId"] = "TabTabTabTabTab1", ["frameId"] = "FrameFrameFrame1", ["sequence"] = sequence,
    };
}
