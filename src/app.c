/* Who is using husly, as the configuration says: shared by the screens and the commands. */
#include "app.h"

#include "config.h"
#include "util.h"

const char *app_user_name(const struct app *app)
{
	return app->me ? app->me->name : app->login;
}

enum role app_role(const struct app *app)
{
	if (app->cfg.nstaff == 0)
		return ROLE_COORDINATOR;
	return app->me ? app->me->role : app->cfg.unknown_login;
}

int app_may_see_cpr(const struct app *app)
{
	enum role r = app_role(app);
	return r == ROLE_RECEPTION || r == ROLE_COORDINATOR;
}

int app_may_write(const struct app *app)
{
	return app_role(app) != ROLE_READ_ONLY;
}

const char *app_user_role(const struct app *app)
{
	return app->cfg.nstaff == 0 ? "" : role_name(app_role(app));
}

char *app_signature(const struct app *app)
{
	const char *name = app_user_name(app);
	const char *login = app->login ? app->login : "";
	if (str_empty(name) || str_eq(name, login))
		return xstrdup(login);
	return xasprintf("%s (%s)", name, login);
}

int app_is_coordinator(const struct app *app)
{
	return app_role(app) == ROLE_COORDINATOR;
}
