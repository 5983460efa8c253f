using Guidepost.Config.Entities;
using Guidepost.Config.Entities.Analytics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guidepost.Config.EntityConfigurations;

internal sealed class MetadataFieldConfiguration : IEntityTypeConfiguration<MetadataField>
{
    public void Configure(EntityTypeBuilder<MetadataField> builder)
    {
        builder.Property(f => f.Kind).HasMaxLength(16);
        builder.Property(f => f.Group).HasMaxLength(64);
        builder.Property(f => f.Name).HasMaxLength(128);
        builder.Property(f => f.DisplayName).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(f => f.Type).HasMaxLength(16);
        builder.HasIndex(f => new { f.SubscriptionId, f.Kind, f.Group, f.Name }).IsUnique();
        builder.HasOne<Subscription>().WithMany().HasForeignKey(f => f.SubscriptionId);
    }
}

internal sealed class SegmentConfiguration : IEntityTypeConfiguration<Segment>
{
    public void Configure(EntityTypeBuilder<Segment> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).HasMaxLength(TagColumns.IdLength);
        builder.Property(s => s.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(s => s.CreatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(s => s.LastUpdatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.HasIndex(s => s.SubscriptionId);
        builder.HasOne<Subscription>().WithMany().HasForeignKey(s => s.SubscriptionId);
    }
}

internal sealed class SavedReportConfiguration : IEntityTypeConfiguration<SavedReport>
{
    public void Configure(EntityTypeBuilder<SavedReport> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).HasMaxLength(TagColumns.IdLength);
        builder.Property(r => r.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(r => r.Generator).HasMaxLength(32);
        builder.Property(r => r.CreatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(r => r.LastUpdatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.HasIndex(r => r.SubscriptionId);
        builder.HasOne<Subscription>().WithMany().HasForeignKey(r => r.SubscriptionId);
    }
}
