using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Guidepost.Config.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Tags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "product_areas",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    subscription_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    color = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_product_areas", x => x.id);
                    table.ForeignKey(
                        name: "fk_product_areas_subscriptions_subscription_id",
                        column: x => x.subscription_id,
                        principalTable: "subscriptions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "pages",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    rules = table.Column<List<string>>(type: "text[]", nullable: false),
                    subscription_id = table.Column<long>(type: "bigint", nullable: false),
                    application_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    product_area_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    is_core_event = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    last_updated_at = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pages", x => x.id);
                    table.ForeignKey(
                        name: "fk_pages_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_pages_product_areas_product_area_id",
                        column: x => x.product_area_id,
                        principalTable: "product_areas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "track_types",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    track_type_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    subscription_id = table.Column<long>(type: "bigint", nullable: false),
                    application_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    product_area_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    is_core_event = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    last_updated_at = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_track_types", x => x.id);
                    table.ForeignKey(
                        name: "fk_track_types_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_track_types_product_areas_product_area_id",
                        column: x => x.product_area_id,
                        principalTable: "product_areas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "features",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    element_path_rules = table.Column<List<string>>(type: "text[]", nullable: false),
                    page_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    app_wide = table.Column<bool>(type: "boolean", nullable: false),
                    subscription_id = table.Column<long>(type: "bigint", nullable: false),
                    application_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    description = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    product_area_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    is_core_event = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    created_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    last_updated_at = table.Column<long>(type: "bigint", nullable: false),
                    last_updated_by = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_features", x => x.id);
                    table.ForeignKey(
                        name: "fk_features_applications_application_id",
                        column: x => x.application_id,
                        principalTable: "applications",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_features_pages_page_id",
                        column: x => x.page_id,
                        principalTable: "pages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_features_product_areas_product_area_id",
                        column: x => x.product_area_id,
                        principalTable: "product_areas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "ix_features_application_id",
                table: "features",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ix_features_page_id",
                table: "features",
                column: "page_id");

            migrationBuilder.CreateIndex(
                name: "ix_features_product_area_id",
                table: "features",
                column: "product_area_id");

            migrationBuilder.CreateIndex(
                name: "ix_features_subscription_id_application_id",
                table: "features",
                columns: new[] { "subscription_id", "application_id" });

            migrationBuilder.CreateIndex(
                name: "ix_pages_application_id",
                table: "pages",
                column: "application_id");

            migrationBuilder.CreateIndex(
                name: "ix_pages_product_area_id",
                table: "pages",
                column: "product_area_id");

            migrationBuilder.CreateIndex(
                name: "ix_pages_subscription_id_application_id",
                table: "pages",
                columns: new[] { "subscription_id", "application_id" });

            migrationBuilder.CreateIndex(
                name: "ix_product_areas_subscription_id",
                table: "product_areas",
                column: "subscription_id");

            migrationBuilder.CreateIndex(
                name: "ix_track_types_application_id_track_type_name",
                table: "track_types",
                columns: new[] { "application_id", "track_type_name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_track_types_product_area_id",
                table: "track_types",
                column: "product_area_id");

            migrationBuilder.CreateIndex(
                name: "ix_track_types_subscription_id_application_id",
                table: "track_types",
                columns: new[] { "subscription_id", "application_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "features");

            migrationBuilder.DropTable(
                name: "track_types");

            migrationBuilder.DropTable(
                name: "pages");

            migrationBuilder.DropTable(
                name: "product_areas");
        }
    }
}
