using Guidepost.Config.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Guidepost.Config.EntityConfigurations;

internal sealed class IntegrationKeyConfiguration : IEntityTypeConfiguration<IntegrationKey>
{
    public void Configure(EntityTypeBuilder<IntegrationKey> builder)
    {
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.Name).HasMaxLength(ConfigDbContext.MaxNameLength);
        builder.Property(k => k.SecretHash).HasMaxLength(64);
        builder.HasIndex(k => k.SecretHash).IsUnique();
        builder.Property(k => k.Hint).HasMaxLength(16);
        builder.Property(k => k.Access).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Subscription>().WithMany().HasForeignKey(k => k.SubscriptionId);
    }
}
