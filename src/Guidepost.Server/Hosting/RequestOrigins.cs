namespace Guidepost.Server.Hosting;

public static class RequestOrigins
{
    /// <summary>The scheme and host the client reached this server at, such as <c>http://127.0.0.1:5080</c>: where
    /// the agent and guide content point back to.</summary>
    public static string Origin(this HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
