using Guidepost.Config;
using Guidepost.Core.Events;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Guidepost.Server.Health;

/// <summary><c>GET /health</c>: 200 when every store answers, 503 otherwise, with each store's state.</summary>
internal static class HealthApi
{
    public static void AddHealth(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<ConfigStoreCheck>("config")
            .AddCheck<EventStoreCheck>("events");

    public static void MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteAsync }).WithTags("Health");

    private static Task WriteAsync(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(new
        {
            status = Describe(report.Status),
            stores = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = Describe(e.Value.Status),
                provider = e.Value.Data.TryGetValue("provider", out var provider) ? provider : null,
                detail = e.Value.Description,
            }),
        });

    private static string Describe(HealthStatus status) => status.ToString().ToLowerInvariant();

    private sealed class ConfigStoreCheck(ConfigDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var provider = new Dictionary<string, object> { ["provider"] = db.Database.IsSqlite() ? "sqlite" : "postgres" };
            try
            {
                var subscriptions = await db.Subscriptions.CountAsync(cancellationToken);
                return HealthCheckResult.Healthy($"{subscriptions} subscription(s)", provider);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(e.Message, data: provider);
            }
        }
    }

    private sealed class EventStoreCheck(IEventStore events) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var status = await events.CheckAsync(cancellationToken);
            var data = new Dictionary<string, object> { ["provider"] = status.Provider };
            return status.Healthy ? HealthCheckResult.Healthy(status.Detail, data) : HealthCheckResult.Unhealthy(status.Detail, data: data);
        }
    }
}
