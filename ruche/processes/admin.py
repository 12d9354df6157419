from django.contrib import admin

from ruche.processes.models import Phase, Process


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0
    fields = ["position", "title", "starts_on", "ends_on"]
    ordering = ["position"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "visibility", "created_at"]
    list_filter = ["status", "visibility"]
    search_fields = ["title", "question", "organisation__name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["link_token", "created_by"]
    inlines = [PhaseInline]
