client.global.set("handled", "yes");
