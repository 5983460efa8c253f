using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Guidepost.Server.Auth;
using Guidepost.Server.Errors;
using Guidepost.Ingestion;
using Guidepost.Server.Health;
using Guidepost.Server.Ingestion;
using Microsoft.AspNetCore.HttpLogging;

namespace Guidepost.Server.Hosting;

/// <summary>The host's cross-cutting wiring: options, JSON, errors, request logging, OpenAPI, stores, auth.</summary>
internal static class HostingExtensions
{
    public static void AddGuidepost(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(GuidepostOptions.Section);
        var options = section.Get<GuidepostOptions>() ?? new GuidepostOptions();
        builder.Services.Configure<GuidepostOptions>(section);
        builder.WebHost.UseUrls(options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 4 * 1024 * 1024);

        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
            json.SerializerOptions.MaxDepth = 32;
            // A body's null where the contract says a value is a 400 naming the path, not a null deep in a handler.
            // Only reading is held to the annotations: an answer is written as it is rather than failing.
            json.SerializerOptions.RespectNullableAnnotations = true;
            json.SerializerOptions.TypeInfoResolver = json.SerializerOptions.TypeInfoResolver?.WithAddedModifier(type =>
            {
                foreach (var property in type.Properties.Where(p => !p.PropertyType.IsValueType)) property.IsGetNullable = true;
            });
        });
        builder.Services.AddErrorHandling();
        builder.Services.AddValidation();
        builder.Services.AddHttpLogging(logging =>
        {
            logging.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
                | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
            logging.CombineLogs = true;
        });
        builder.Services.AddOpenApi();

        builder.AddStores(options);
        builder.Services.AddIngestion(builder.Configuration);
        builder.Services.AddIngestionApi();
        builder.Services.AddScoped<Guidepost.Tagging.Catalog.TagCatalog>();
        builder.Services.AddSingleton<Guidepost.Tagging.Matching.TagMatcher>();
        builder.Services.AddScoped<Guidepost.Ingestion.Metadata.MetadataWriter>();
        builder.Services.AddSingleton<Guidepost.Query.Metrics.EngagementScore>();
        builder.Services.AddSingleton<Guidepost.Query.Segments.SegmentChecker>();
        builder.Services.AddSingleton<Guidepost.Query.Segments.SegmentMembers>();
        builder.Services.AddScoped<Guidepost.Query.Reports.AnalyticsCatalog>();
        builder.Services.AddScoped<Guidepost.Query.Reports.EntityListReport>();
        builder.Services.AddScoped<Guidepost.Query.Reports.Journeys>();
        builder.Services.AddScoped<Guidepost.Query.Metrics.UsageSeries>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Guidepost:Aggregations").Get<Guidepost.Query.Aggregations.Execution.AggregationLimits>()
            ?? new Guidepost.Query.Aggregations.Execution.AggregationLimits());
        builder.Services.AddScoped<Guidepost.Query.Aggregations.Execution.IAggregationObjects, Guidepost.Server.Aggregations.AggregationObjects>();
        builder.Services.AddScoped<Guidepost.Query.Aggregations.Execution.AggregationServices>();
        builder.Services.AddScoped<Guidepost.Query.Aggregations.Execution.AggregationEngine>();
        builder.Services.AddScoped<Guidepost.Guides.Authoring.GuideCatalog>();
        builder.Services.AddScoped<Guidepost.Guides.Authoring.GuideValidator>();
        builder.Services.AddScoped<Guidepost.Guides.Delivery.GuideDelivery>();
        builder.Services.AddSingleton<Guidepost.Guides.Delivery.GuideLibrary>();
        builder.Services.AddSingleton<Agent.AgentScript>();
        builder.Services.AddScoped<Guidepost.Guides.Analytics.GuideMetrics>();
        builder.Services.AddScoped<Guidepost.Server.Guides.GuideViews>();
        builder.Services.AddGuidepostAuth(options);
        builder.Services.AddHealth();
    }

    public static void UseGuidepost(this WebApplication app)
    {
        app.UseHttpLogging();
        app.UseErrorHandling();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
    }
}
