request.variables.set("pre", "yes");
