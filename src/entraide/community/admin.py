"""Platform staff only (the admin runs with every tenant visible): groups and their sessions.

No token, no secret in the admin: invitations show their state, never their hash.
"""

from django.contrib import admin

from .models import Group, GroupMembership, GroupSession, Invitation


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    fields = ["user", "joined_on", "left_on"]
    raw_id_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "protocol_key", "capacity"]
    list_filter = ["organisation"]
    inlines = [MembershipInline]
    filter_horizontal = ["facilitators"]


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin):
    list_display = ["group", "date", "start", "end", "status", "facilitator"]
    list_filter = ["status"]
    raw_id_fields = ["facilitator", "live_session"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
    readonly_fields = ["accepted_at", "accepted_by"]
