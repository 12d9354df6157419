from django.contrib import admin

from ruche.consultations.models import (
    AnalysisResult,
    Consultation,
    OpenQuestion,
    ProfileQuestion,
    Statement,
)


class OpenQuestionInline(admin.TabularInline):
    model = OpenQuestion
    extra = 0


class ProfileQuestionInline(admin.TabularInline):
    model = ProfileQuestion
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "phase", "access", "moderation", "opens_at", "closes_at"]
    list_select_related = ["phase__process"]
    search_fields = ["title", "phase__process__title"]
    inlines = [OpenQuestionInline, ProfileQuestionInline]
    raw_id_fields = ["phase", "created_by"]


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    list_display = ["number", "text", "status", "consultation", "n_agree", "n_disagree", "n_pass"]
    list_filter = ["status", "is_seed"]
    search_fields = ["text"]
    raw_id_fields = ["consultation", "author", "moderated_by"]


@admin.register(AnalysisResult)
class AnalysisResultAdmin(admin.ModelAdmin):
    """Read-only: results are written by the analysis task only."""

    list_display = ["consultation", "kind", "computed_at", "n_votes", "duration_ms", "error"]
    list_filter = ["kind"]
    exclude = ["data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
