using Guidepost.Config.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guidepost.Config.EntityConfigurations;

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> builder)
    {
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(a => a.ApiKey).HasMaxLength(64);
        builder.HasIndex(a => a.ApiKey).IsUnique();
        builder.Property(a => a.Platform).HasConversion<string>().HasMaxLength(16);
        builder.Property(a => a.TrackSecretHash).HasMaxLength(64);
        builder.HasIndex(a => a.TrackSecretHash).IsUnique();
        builder.OwnsOne(a => a.Ingestion, settings => settings.ToJson());
        builder.OwnsOne(a => a.Guides, settings => settings.ToJson());
        builder.OwnsOne(a => a.Agent, settings => settings.ToJson());
    }
}
