using System.Text.Json;
using Guidepost.Ingestion.Wire;

namespace Guidepost.Testing;

/// <summary>Events shaped as the Pendo agent sends them (protocol reference §4), encoded as jzb.</summary>
public static class AgentPayloads
{
    public const long T0 = 1_700_000_000_000;

    /// <summary>One object as jzb, as the agent sends its guide requests.</summary>
    public static string JzbObject(object value) => Ingestion.Wire.Jzb.Encode(JsonSerializer.SerializeToUtf8Bytes(value));

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

    /// <summary>A guide event as the agent sends it to <c>guide.gif</c> (§4.7): <paramref name="props"/> add to the
    /// guide and step ids.</summary>
    public static object GuideEvent(string type, string visitor, string guideId, string stepId, long time, int sequence, object? props = null)
    {
        var all = new Dictionary<string, object?> { ["guide_id"] = guideId, ["guide_step_id"] = stepId };
        if (props is not null)
            foreach (var property in JsonSerializer.SerializeToElement(props).EnumerateObject()) all[property.Name] = property.Value;
        return new Dictionary<string, object?>
        {
            ["type"] = type, ["browser_time"] = time, ["visitor_id"] = visitor, ["account_id"] = "account-1", ["url"] = "https://app.example/",
            ["props"] = all, ["tabId"] = "TabTabTabTabTab1", ["frameId"] = "FrameFrameFrame1", ["sessionId"] = "SessionSession01", ["sequence"] = sequence,
        };
    }
}
