# Пример 2: Сервер с загрузкой файлов (server_files.py), the tutorial's example.
# Changes: --port, and plain file writes instead of aiofiles (not in Debian 12).
import os
import sys
from aiohttp import web

async def handle_upload_file(request):
    reader = await request.multipart()
    field = await reader.next()
    assert field.name == 'file'
    filename = field.filename

    # Сохранение файла на диск
    size = 0
    with open(os.path.join('uploads', filename), 'wb') as f:
        while True:
            chunk = await field.read_chunk()
            if not chunk:
                break
            size += len(chunk)
            f.write(chunk)
    return web.json_response({'filename': filename, 'size': size})

app = web.Application()
app.add_routes([web.post('/upload', handle_upload_file)])

if __name__ == '__main__':
    os.makedirs('uploads', exist_ok=True)
    port = int(sys.argv[sys.argv.index('--port') + 1]) if '--port' in sys.argv else 8080
    web.run_app(app, host='127.0.0.1', port=port, access_log=None)
