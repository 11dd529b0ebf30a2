// The web servers `npm run bench:plugin` serves its two sites with: PHP's built-in server, and the
// production shape — nginx in front of PHP-FPM (Debian's nginx-light and php-fpm), where a
// response can be finished before the request's end (fastcgi_finish_request()). Each with OPcache
// on, as any production PHP has it.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const WORDPRESS = '/usr/share/wordpress';
const ROUTER = path.resolve(__dirname, '..', 'tests', 'env', 'router.php');

function which(name) {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

function phpFpmBinary() {
  const version = execFileSync('php', ['-r', 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;']).toString();
  return which(`php-fpm${version}`) ?? which('php-fpm');
}

/**
 * nginx and PHP-FPM, installed from Debian's packages when missing and this runs as root; null
 * (with the reason) when they cannot be had.
 */
function nginxAndFpm() {
  if ((!which('nginx') || !phpFpmBinary()) && process.getuid?.() === 0) {
    process.stderr.write("bench:plugin: installing nginx-light and php-fpm from Debian's packages\n");
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'nginx-light', 'php-fpm'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  const nginx = which('nginx');
  const fpm = phpFpmBinary();
  return nginx && fpm ? { nginx, fpm } : null;
}

/** PHP's built-in server for a site (the router maps /wp-content to the site's own folder). */
function startPhpServer(site) {
  const proc = spawn(
    'php',
    [
      '-d',
      'opcache.enable_cli=1',
      '-d',
      'opcache.validate_timestamps=0',
      '-S',
      `127.0.0.1:${site.port}`,
      '-t',
      WORDPRESS,
      ROUTER,
    ],
    { env: site.env, stdio: 'ignore' },
  );
  return { stop: () => proc.kill() };
}

/** nginx on the site's port, every request to WordPress's index.php through its own PHP-FPM pool. */
function startNginxFpm(site, bins) {
  const dir = fs.mkdtempSync(path.join(site.dir, 'fpm-'));
  const socket = path.join(dir, 'fpm.sock');
  const asRoot = process.getuid?.() === 0;
  fs.writeFileSync(
    path.join(dir, 'php-fpm.conf'),
    [
      '[global]',
      `error_log = ${dir}/php-fpm.log`,
      `pid = ${dir}/php-fpm.pid`,
      'daemonize = no',
      '[bench]',
      ...(asRoot ? ['user = root', 'group = root'] : []),
      `listen = ${socket}`,
      'listen.mode = 0666',
      'pm = static',
      'pm.max_children = 2',
      'clear_env = no',
      ...Object.entries(site.env)
        .filter(([key]) => key.startsWith('CARTBACK_'))
        .map(([key, value]) => `env[${key}] = ${value}`),
      'php_admin_value[opcache.enable] = 1',
      'php_admin_value[opcache.validate_timestamps] = 0',
      '',
    ].join('\n'),
  );
  const content = site.env.CARTBACK_WP_CONTENT;
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
${asRoot ? 'user root;' : ''}
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log;
worker_processes 1;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/client;
  fastcgi_temp_path ${dir}/fastcgi;
  proxy_temp_path ${dir}/proxy;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${site.port};
    location /wp-content/ { alias ${content}/; }
    location / {
      # Debian's fastcgi_params would send HTTP_HOST without the port: the parameters, spelled out.
      fastcgi_param QUERY_STRING $query_string;
      fastcgi_param REQUEST_METHOD $request_method;
      fastcgi_param CONTENT_TYPE $content_type;
      fastcgi_param CONTENT_LENGTH $content_length;
      fastcgi_param REQUEST_URI $request_uri;
      fastcgi_param DOCUMENT_ROOT ${WORDPRESS};
      fastcgi_param SERVER_PROTOCOL $server_protocol;
      fastcgi_param GATEWAY_INTERFACE CGI/1.1;
      fastcgi_param REMOTE_ADDR $remote_addr;
      fastcgi_param REMOTE_PORT $remote_port;
      fastcgi_param SERVER_ADDR $server_addr;
      fastcgi_param SERVER_PORT $server_port;
      fastcgi_param SERVER_NAME 127.0.0.1;
      fastcgi_param HTTP_HOST $http_host;
      fastcgi_param SCRIPT_FILENAME ${WORDPRESS}/index.php;
      fastcgi_param SCRIPT_NAME /index.php;
      fastcgi_pass unix:${socket};
    }
  }
}
`,
  );
  const fpm = spawn(bins.fpm, ['-F', '-y', path.join(dir, 'php-fpm.conf'), ...(asRoot ? ['-R'] : [])], {
    stdio: 'ignore',
  });
  const nginx = spawn(bins.nginx, ['-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'nginx-error.log')], {
    stdio: 'ignore',
  });
  return {
    stop: () => {
      nginx.kill();
      fpm.kill();
    },
  };
}

module.exports = { nginxAndFpm, startPhpServer, startNginxFpm };
