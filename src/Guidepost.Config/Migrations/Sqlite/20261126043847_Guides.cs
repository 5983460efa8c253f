using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guidepost.Config.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Guides : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "guides",
                table: "applications",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.CreateTable(
                name: "guide_assets",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    subscription_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    last_updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_updated_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_guide_assets", x => x.id);
                    table.ForeignKey(
                        name: "fk_guide_assets_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "guide_resets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    subscription_id = table.Column<long>(type: "INTEGER", nullable: false),
                    visitor_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    guide_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_guide_resets", x => x.id);
                    table.ForeignKey(
                        name: "fk_guide_resets_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "guides",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    subscription_id = table.Column<long>(type: "INTEGER", nullable: false),
                    application_id = table.Column<long>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    draft = table.Column<string>(type: "TEXT", nullable: false),
                    delivered_version = table.Column<int>(type: "INTEGER", nullable: true),
                    reset_at = table.Column<long>(type: "INTEGER", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    last_updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_updated_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_guides", x => x.id);
                    table.ForeignKey(
                        name: "fk_guides_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "guide_versions",
                columns: table => new
                {
                    guide_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    subscription_id = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    definition = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_guide_versions", x => new { x.guide_id, x.number });
                    table.ForeignKey(
                        name: "fk_guide_versions_guides_guide_id",
                        column: x => x.guide_id,
                        principalTable: "guides",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_guide_assets_subscription_id_kind",
                table: "guide_assets",
                columns: new[] { "subscription_id", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_guide_resets_subscription_id_visitor_id",
                table: "guide_resets",
                columns: new[] { "subscription_id", "visitor_id" });

            migrationBuilder.CreateIndex(
                name: "ix_guides_application_id",
                table: "guides",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ix_guides_subscription_id_application_id",
                table: "guides",
                columns: new[] { "subscription_id", "application_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "guide_assets");

            migrationBuilder.DropTable(
                name: "guide_resets");

            migrationBuilder.DropTable(
                name: "guide_versions");

            migrationBuilder.DropTable(
                name: "guides");

            migrationBuilder.DropColumn(
                name: "guides",
                table: "applications");
        }
    }
}
