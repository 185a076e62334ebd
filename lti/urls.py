"""LTI URLs. The first four are what platforms call; they are public and verified
cryptographically (see views_launch.py)."""

from django.urls import path

from . import views_course, views_launch, views_setup

app_name = "lti"

urlpatterns = [
    path("login/", views_launch.login_initiate, name="login"),
    path("login/<uuid:registration_uuid>/", views_launch.login_initiate,
         name="login-registration"),
    path("launch/", views_launch.launch, name="launch"),
    path("jwks/", views_launch.jwks, name="jwks"),
    path("canvas.json", views_setup.canvas_config, name="canvas-config"),
    path("continue/", views_launch.launch_continue, name="continue"),
    path("connect/", views_launch.course_connect, name="course-connect"),
    path("link/", views_launch.link_choose, name="link-choose"),
    path("deep-link/", views_launch.deep_link, name="deep-link"),
    path("setup/", views_setup.setup, name="setup"),
    path("setup/rotate-key/", views_setup.setup_rotate_key, name="setup-rotate-key"),
    path("course/<slug:course_slug>/", views_course.course_lms, name="course-lms"),
    path("course/<slug:course_slug>/roster-sync/", views_course.roster_sync_view,
         name="roster-sync"),
    path("quiz/<int:pk>/grades/", views_course.quiz_passback, name="quiz-passback"),
    path("quiz/<int:pk>/grades/send/", views_course.quiz_passback_send,
         name="quiz-passback-send"),
]
