# Пример 1: Простой сервер (server_simple.py), the tutorial's example; --port added
import sys
from aiohttp import web

async def handle(request):
    return web.Response(text="Hello, World!")

app = web.Application()
app.add_routes([web.get('/', handle)])

if __name__ == '__main__':
    port = int(sys.argv[sys.argv.index('--port') + 1]) if '--port' in sys.argv else 8080
    web.run_app(app, host='127.0.0.1', port=port, access_log=None)
