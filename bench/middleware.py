from django.conf import settings
from django.db import connection


class QueryCountMiddleware:
    """With BENCH_FLOORS, every response says how many SQL queries it took (X-Bench-Queries); outermost, so the
    session, authentication and second-factor queries count too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not getattr(settings, "BENCH_FLOORS", False):
            return self.get_response(request)
        executed = 0

        def count(execute, sql, params, many, context):
            nonlocal executed
            executed += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(executed)
        return response
