namespace Guidepost.Testing;

/// <summary>Guide content for tests, written by hand from the protocol reference.</summary>
public static class GuideFixtures
{
    /// <summary>The building-block lightbox of the protocol reference (§5.8 A), for step <paramref name="stepId"/>.</summary>
    public static object Lightbox(string stepId) => new
    {
        type = "div", props = new { id = "pendo-base", @class = "_pendo-step-container" },
        children = new object[]
        {
            new
            {
                type = "div",
                props = new Dictionary<string, object> { ["id"] = $"pendo-g-{stepId}", ["data-vertical-alignment"] = "Centered" },
                children = new object[]
                {
                    new
                    {
                        type = "div", props = new { id = "pendo-guide-container", role = "dialog" },
                        children = new object[]
                        {
                            new { type = "h2", props = new { id = "pendo-title-1" }, content = "Hello" },
                            new
                            {
                                type = "button", props = new { id = "pendo-button-ok", type = "button" }, content = "Got it",
                                actions = new[] { new { action = "advanceGuide", eventType = "click", parameters = Array.Empty<object>() } },
                            },
                        },
                    },
                },
            },
        },
    };
}
