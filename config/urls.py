"""Top-level URLs."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from . import accounts, views
from .login import AdminLoginForm, LoginForm

admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="courses:course-list", permanent=False)),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", accounts.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(
        extra_context={"reset_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}),
         name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("courses/", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("lti/", include("lti.urls")),
    path("jobs/", include("jobs.urls")),
]

if settings.LECTIO_BENCH_ENDPOINTS:
    from . import bench_views

    urlpatterns += [
        path("bench/bare-read", bench_views.bare_read, name="bench-bare-read"),
        path("bench/bare-insert", bench_views.bare_insert, name="bench-bare-insert"),
    ]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
