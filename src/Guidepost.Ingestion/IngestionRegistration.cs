using Guidepost.Ingestion.Normalize;
using Guidepost.Ingestion.Pipeline;
using Guidepost.Ingestion.Wire;
using Guidepost.Ingestion.Writing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Guidepost.Ingestion;

/// <summary>Registers ingestion: readers, pipeline, application directory and the group-commit writer.</summary>
public static class IngestionRegistration
{
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<IngestionOptions>(configuration.GetSection(IngestionOptions.Section));
        services.AddMemoryCache();
        services.AddSingleton(sp => new AgentPayloadReader(sp.GetRequiredService<IOptions<IngestionOptions>>().Value));
        services.AddSingleton(sp => new TrackApiReader(sp.GetRequiredService<IOptions<IngestionOptions>>().Value, sp.GetRequiredService<UserAgentCache>()));
        services.AddSingleton<UserAgentCache>();
        services.AddSingleton<ApplicationDirectory>();
        services.AddSingleton<IngestionWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionWriter>());
        services.AddSingleton<Ingestor>();
        return services;
    }
}
