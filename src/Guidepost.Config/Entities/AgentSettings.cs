namespace Guidepost.Config.Entities;

/// <summary>What Guidepost's own agent captures on the application's pages; baked into the agent file the server
/// serves for the application (<c>/agent/static/{apiKey}/pendo.js</c>).</summary>
public sealed class AgentSettings
{
    /// <summary>When on, click events carry up to 128 characters of the element's text. Off by default: text on
    /// a page can be personal data.</summary>
    public bool CaptureText { get; set; }

    /// <summary>Attributes captured in element paths besides each tag's built-in list (for example
    /// <c>data-testid</c>), so feature rules can match them.</summary>
    public List<string> HtmlAttributes { get; set; } = [];
}
