using Guidepost.Server.Agent;
using Guidepost.Server.Aggregations;
using Guidepost.Server.Analytics;
using Guidepost.Server.Auth;
using Guidepost.Server.Guides;
using Guidepost.Server.Health;
using Guidepost.Server.Home;
using Guidepost.Server.Ingestion;
using Guidepost.Server.Hosting;
using Guidepost.Server.Tagging;
using Guidepost.Server.Tenancy;
using Guidepost.Server.Visitors;

// Settings files ship beside the binary; the working directory is only where ./data goes.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddGuidepost();

var app = builder.Build();
app.UseGuidepost();
app.MapHomeApi();
app.MapHealthApi();
app.MapIngestionApi();
app.MapAuthApi();
app.MapTenancyApi();
app.MapTagsApi();
app.MapAnalyticsApi();
app.MapSegmentsApi();
app.MapGuidesApi();
app.MapGuideDeliveryApi();
app.MapAgentScriptApi();
app.MapGuideAnalyticsApi();
app.MapReportsApi();
app.MapJourneysApi();
app.MapVisitorsApi();
app.MapMetadataApi();
app.MapAggregationApi();
app.Run();

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
