using Guidepost.Config.Entities;
using Guidepost.Config.Entities.Guides;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guidepost.Config.EntityConfigurations;

internal sealed class GuideConfiguration : IEntityTypeConfiguration<Guide>
{
    public void Configure(EntityTypeBuilder<Guide> builder)
    {
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).HasMaxLength(TagColumns.IdLength);
        builder.Property(g => g.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(g => g.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.CreatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(g => g.LastUpdatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.HasIndex(g => new { g.SubscriptionId, g.ApplicationId });
        builder.HasOne<Application>().WithMany().HasForeignKey(g => g.ApplicationId);
    }
}

internal sealed class GuideVersionConfiguration : IEntityTypeConfiguration<GuideVersion>
{
    public void Configure(EntityTypeBuilder<GuideVersion> builder)
    {
        builder.HasKey(v => new { v.GuideId, v.Number });
        builder.Property(v => v.GuideId).HasMaxLength(TagColumns.IdLength);
        builder.Property(v => v.State).HasConversion<string>().HasMaxLength(16);
        builder.Property(v => v.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(v => v.CreatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.HasOne<Guide>().WithMany().HasForeignKey(v => v.GuideId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class GuideResetConfiguration : IEntityTypeConfiguration<GuideReset>
{
    public void Configure(EntityTypeBuilder<GuideReset> builder)
    {
        builder.Property(r => r.VisitorId).HasMaxLength(256);
        builder.Property(r => r.GuideId).HasMaxLength(TagColumns.IdLength);
        builder.HasIndex(r => new { r.SubscriptionId, r.VisitorId });
        builder.HasOne<Subscription>().WithMany().HasForeignKey(r => r.SubscriptionId);
    }
}

internal sealed class GuideAssetConfiguration : IEntityTypeConfiguration<GuideAsset>
{
    public void Configure(EntityTypeBuilder<GuideAsset> builder)
    {
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).HasMaxLength(TagColumns.IdLength);
        builder.Property(a => a.Kind).HasMaxLength(16);
        builder.Property(a => a.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(a => a.CreatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(a => a.LastUpdatedBy).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.HasIndex(a => new { a.SubscriptionId, a.Kind });
        builder.HasOne<Subscription>().WithMany().HasForeignKey(a => a.SubscriptionId);
    }
}
