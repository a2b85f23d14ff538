#include "Server.h"

#include <httplib.h>

#include <csignal>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

namespace gatepass::office {

namespace {

using nlohmann::json;

void cors(httplib::Response& res)
{
    // Bearer tokens, no cookies: any origin may call, only a token holder gets in.
    res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Access-Control-Allow-Headers", "Content-Type, X-Gatepass-Batch, Authorization");
    res.set_header("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.set_header("Access-Control-Max-Age", "600");
    // The console reads the 429's wait across origins (UploadStatus.h).
    res.set_header("Access-Control-Expose-Headers", "Retry-After");
}

void reply(httplib::Response& res, const UploadReply& r)
{
    cors(res);
    res.status = r.status;
    if (r.retryAfterSeconds)
        res.set_header("Retry-After", std::to_string(r.retryAfterSeconds));
    res.set_content(r.body.dump(), "application/json; charset=utf-8");
}

void logPurge(const std::vector<PurgeCounts>& counts)
{
    for (const auto& p : counts) // counts only: never a name or a number
        std::cerr << "purge " << p.community << ": entries " << p.entriesDeleted << ", persons " << p.personsDeleted << "\n";
}

} // namespace

int serve(OfficeDb& db, const ServeOptions& options)
{
    // Signals are taken by one thread with sigwait, not a handler: stopping the
    // server is not async-signal-safe.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Uploads uploads(db, options.upload);
    httplib::Server server;
    const int threads = std::max(1, options.threads);
    server.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
    // Over the limit, cpp-httplib answers 413 without calling the handler; the
    // error handler below words it.
    server.set_payload_max_length(options.upload.maxBytes);

    server.Post("/api/upload", [&](const httplib::Request& req, httplib::Response& res) {
        reply(res, uploads.handle(UploadRequest{req.get_header_value("Authorization"), req.body}, Clock::system()));
    });
    server.Options("/api/upload", [](const httplib::Request&, httplib::Response& res) {
        cors(res);
        res.status = 204;
    });
    server.Get("/api/health", [&](const httplib::Request&, httplib::Response& res) {
        res.set_content(json{{"ok", true}, {"database", db.kind()}}.dump(), "application/json; charset=utf-8");
    });
    if (!addDashboard(server, db, options.dashboard))
        return 1;
    server.set_error_handler([&](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty())
            return;
        Message m = res.status == 413 ? tooLarge(options.upload.maxBytes)
                  : res.status == 404 ? Message{"http.not_found", "没有这个地址", "No such address", ""}
                                      : Message{"http.error", "请求无法处理", "The request cannot be handled", ""};
        reply(res, errorReply(res.status, m));
    });
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        reply(res, errorReply(500, {"http.internal", "服务内部错误，未保存任何数据", "Internal error; nothing was stored", ""}));
    });
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        // Method, path and status: never a header (tokens) or a body (personal data).
        std::cerr << req.method << " " << req.path << " " << res.status << "\n";
    });

    // cpp-httplib 0.11 listens with a backlog of 5: when 50 gates connect at
    // once and the accept thread is slow to run (a loaded machine), the
    // kernel's accept queue overflows and gates see their connection reset
    // (seen in build-scripts/bench-office). Keep the socket it creates and
    // listen() again with the system's maximum, which Linux applies to a
    // listening socket. The options replace httplib's default ones, so
    // SO_REUSEADDR is set here as it does.
    int listenSocket = -1;
    server.set_socket_options([&listenSocket](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        listenSocket = sock;
    });

    int port = options.port;
    if (port == 0)
        port = server.bind_to_any_port(options.listen);
    else if (!server.bind_to_port(options.listen, port))
        port = -1;
    if (port < 0) {
        std::cerr << "错误：无法监听 " << options.listen << ":" << options.port << "\nerror: cannot listen on " << options.listen << ":"
                  << options.port << " [office.listen]\n";
        return 1;
    }

    if (listenSocket >= 0)
        ::listen(listenSocket, SOMAXCONN);

    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;
    std::thread purger([&] {
        std::unique_lock lock(mutex);
        do {
            lock.unlock();
            if (auto r = db.purge(Clock::system()))
                logPurge(*r);
            else
                std::cerr << "purge failed: " << r.error().en << "\n";
            lock.lock();
        } while (!wake.wait_for(lock, std::chrono::minutes(std::max(1, options.purgeEveryMinutes)), [&] { return stopping; }));
    });
    std::thread signalWaiter([&] {
        int sig = 0;
        sigwait(&signals, &sig);
        server.stop();
    });

    std::cout << "listening on http://" << (options.listen.find(':') != std::string::npos ? "[" + options.listen + "]" : options.listen) << ":"
              << port << "/ (" << db.kind() << ")" << std::endl;
    bool ok = server.listen_after_bind();

    {
        std::lock_guard lock(mutex);
        stopping = true;
    }
    wake.notify_all();
    purger.join();
    if (ok) // stopped by a signal: the waiter has returned
        signalWaiter.join();
    else {
        pthread_kill(signalWaiter.native_handle(), SIGTERM);
        signalWaiter.join();
    }
    return ok ? 0 : 1;
}

} // namespace gatepass::office
