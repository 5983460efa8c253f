namespace Guidepost.Server.Home;

/// <summary>The landing page at <c>/</c>: what is running and where to go next.</summary>
internal static class HomeApi
{
    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Guidepost</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .25rem}</style>
        </head>
        <body>
        <h1>Guidepost is running</h1>
        <p>Self-hosted product analytics and in-app guidance, compatible with the Pendo agent and API.</p>
        <ul>
          <li><a href="/health">/health</a> — the state of each store</li>
          <li><a href="/openapi/v1.json">/openapi/v1.json</a> — the API description</li>
        </ul>
        <p>Log in with <code>POST /api/auth/login</code>, or call the API with the header <code>x-pendo-integration-key</code>.</p>
        </body>
        </html>
        """;

    public static void MapHomeApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/", () => TypedResults.Content(Page, "text/html; charset=utf-8")).ExcludeFromDescription();
}
