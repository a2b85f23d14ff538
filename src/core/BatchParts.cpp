#include "BatchParts.h"

#include <new>

namespace gatepass {

namespace {

std::string megabytes(int64_t bytes) { return std::to_string(bytes / (1024 * 1024)); }

} // namespace

Result<BatchParts> BatchParts::begin(int64_t size)
{
    if (size < 1 || size > kMaxBatchBytes)
        return Message{"batch.too_large",
                       size < 1 ? "批次文件是空的，未导入" : "批次文件过大（超过 " + megabytes(kMaxBatchBytes) + " MB），未导入。请分批导出后再导入",
                       size < 1 ? "The batch file is empty; nothing was imported"
                                : "The batch file is too large (over " + megabytes(kMaxBatchBytes) +
                                      " MB); nothing was imported. Export it in smaller batches",
                       "size"};
    BatchParts parts(size);
    try {
        // One allocation up front: appending never copies the file again.
        parts.bytes_.reserve(size_t(size));
    } catch (const std::bad_alloc&) {
        return Message{"batch.no_memory", "内存不足，无法导入这么大的批次文件，未导入任何数据",
                       "Not enough memory to import a batch file this large; nothing was imported", "size"};
    }
    return parts;
}

Result<Done> BatchParts::append(int64_t at, std::string_view bytes)
{
    if (at != received())
        return Message{"batch.import.order", "批次文件的片段顺序不对，导入已取消，未导入任何数据。请重新选择文件",
                       "A part of the batch file came out of order; the import was cancelled and nothing was imported. Choose the file again",
                       "at"};
    if (int64_t(bytes.size()) > size_ - received())
        return Message{"batch.import.overrun", "批次文件比开始时说的长，导入已取消，未导入任何数据。请重新选择文件",
                       "The batch file is longer than announced; the import was cancelled and nothing was imported. Choose the file again",
                       ""};
    bytes_.append(bytes);
    return Done{};
}

Message importNotBegun()
{
    return Message{"batch.import.not_begun", "没有正在进行的批次导入，未导入任何数据。请重新选择文件",
                   "No batch import is under way; nothing was imported. Choose the file again", ""};
}

Message importIncomplete(int64_t received, int64_t size)
{
    return Message{"batch.import.incomplete",
                   "批次文件没有读完（收到 " + std::to_string(received) + " / " + std::to_string(size) + " 字节），未导入任何数据",
                   "The batch file was not read to its end (" + std::to_string(received) + " of " + std::to_string(size) +
                       " bytes arrived); nothing was imported",
                   ""};
}

} // namespace gatepass
